"""Forms of the applicant portal; each renders through templates/includes/field.html in KERN markup."""
