import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from coachhub.timezones import timezone_choices, validate_timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("email_confirmed_at", dj_timezone.now())
        return self.create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Email is the login and is matched without regard to case.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: a coach, or a coachee invited by a coach. Email is the login."""

    class Role(models.TextChoices):
        COACH = "coach", _("Coach")
        COACHEE = "coachee", _("Coachee")

    # Stored in lower case (see UserManager), so plain uniqueness is case-insensitive.
    email = models.EmailField(_("email"), max_length=254, unique=True)
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.COACH)
    timezone = models.CharField(
        _("time zone"), max_length=64, choices=timezone_choices, default="UTC", validators=[validate_timezone]
    )
    # Pages, mails, the calendar feed and exports reach the person in this language.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=dj_timezone.now)
    # When the person proved they receive mail at `email`: a coach through the link mailed at
    # sign-up, a coachee by accepting the invitation mailed there. Until then no mail goes out on
    # a coach's behalf, so nobody can make CoachHub mail strangers from an address they made up.
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    # A mail when someone signs in from a browser new to this account; empty means the default
    # of the role (see `wants_sign_in_notices`).
    sign_in_notices = models.BooleanField(_("mail about sign-ins from new devices"), null=True, blank=True)
    # A coach's default on the assign form: propose homework for the coachee to agree to, or assign it.
    propose_homework = models.BooleanField(
        _("propose homework for agreement"),
        default=False,
        help_text=_("New homework starts as a proposal the coachee agrees to or suggests changes to."),
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.name or self.email

    @property
    def is_coach(self) -> bool:
        return self.role == self.Role.COACH

    @property
    def is_coachee(self) -> bool:
        return self.role == self.Role.COACHEE

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def wants_sign_in_notices(self) -> bool:
        """Coaches are told of a sign-in from a new device unless they turned it off; coachees when
        they turned it on."""
        return self.is_coach if self.sign_in_notices is None else self.sign_in_notices

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


class SignInSessionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def live(self):
        """Sessions that still let someone in (an expired one lingers until `clearsessions`)."""
        return self.filter(session__expire_date__gt=dj_timezone.now())


class SignInSession(models.Model):
    """One sign-in of a person in one browser, shown on "Where you are signed in".

    It belongs to the Django session it describes: ending the session (logging out, ending it from
    that page, a password change, `clearsessions` removing it after it expired) deletes this row too.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_sessions")
    session = models.OneToOneField(
        "sessions.Session", on_delete=models.CASCADE, related_name="+", verbose_name=_("session")
    )
    user_agent = models.CharField(_("browser"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed in"), default=dj_timezone.now)
    # Written at most every few minutes, not on every request (see devices.SEEN_EVERY).
    last_seen_at = models.DateTimeField(_("last seen"), default=dj_timezone.now)

    objects = SignInSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        # "Where you are signed in": one person's sessions, newest first.
        indexes = [models.Index(fields=["user", "-created_at"], name="signin_user_created_idx")]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"


class KnownDevice(models.Model):
    """A browser someone has signed in with before, known by the random id in its device cookie.

    Only a hash of the id is stored, so these rows cannot be turned back into cookies."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="known_devices")
    token_hash = models.CharField(max_length=64)
    first_seen_at = models.DateTimeField(default=dj_timezone.now)
    last_seen_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        verbose_name = _("known device")
        verbose_name_plural = _("known devices")
        constraints = [models.UniqueConstraint(fields=["user", "token_hash"], name="known_device_once_per_user")]

    def __str__(self):
        return f"{self.user} · {self.first_seen_at:%Y-%m-%d}"
