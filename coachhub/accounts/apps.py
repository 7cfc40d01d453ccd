from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "coachhub.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from . import devices

        user_logged_in.connect(devices.on_sign_in, dispatch_uid="coachhub.accounts.devices.on_sign_in")
        user_logged_out.connect(devices.on_sign_out, dispatch_uid="coachhub.accounts.devices.on_sign_out")
