from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


def normalise_email(email: str | None) -> str:
    """The one spelling of an address: trimmed and in lower case (``Foo@X.de`` and ``foo@x.de`` are one person)."""
    return (email or "").strip().lower()


class EmailUserManager(UserManager):
    """Users are created and found by their e-mail address; there is no user name."""

    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        return normalise_email(email)

    def get_by_natural_key(self, email):
        return self.get(email=normalise_email(email))

    def _create_user(self, email, password, **extra_fields):
        email = normalise_email(email)
        if not email:
            raise ValueError("Eine E-Mail-Adresse ist erforderlich.")
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields["is_staff"] is not True or extra_fields["is_superuser"] is not True:
            raise ValueError("Ein Superuser braucht is_staff=True und is_superuser=True.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person; the e-mail address is the login and the only identifier. Roles are groups (see ``roles``)."""

    username = None
    email = models.EmailField(
        _("E-Mail-Adresse"), unique=True,
        error_messages={"unique": _("Mit dieser E-Mail-Adresse gibt es bereits ein Konto.")},
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("Benutzer:in")
        verbose_name_plural = _("Benutzer:innen")
        constraints = [
            # Addresses are stored in lower case (save()); the constraint also holds for rows written
            # around the model (raw SQL, bulk_create) and makes a case variant a form error, not a 500.
            models.UniqueConstraint(
                Lower("email"), name="accounts_user_email_ci_unique",
                violation_error_message=_("Mit dieser E-Mail-Adresse gibt es bereits ein Konto."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)
