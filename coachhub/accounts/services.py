from django.db import transaction

from .models import User


@transaction.atomic
def coach_sign_up(*, name: str, email: str, password: str, timezone: str) -> User:
    return User.objects.create_user(email=email, password=password, name=name, timezone=timezone, role=User.Role.COACH)
