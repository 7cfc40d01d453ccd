"""Two-factor sign-in: authenticator apps (TOTP), passkeys (WebAuthn) and recovery codes.

Built on django-otp and django-otp-webauthn, which store the devices. Logging in stays as it is (password,
login link, invitation); SecondFactorMiddleware then holds anyone with a device at the second step.
"""
