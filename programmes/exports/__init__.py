"""Files and tables made from an allocation run: the shared table (``table``), XLSX (``xlsx``) and PDF (``pdf``)."""
