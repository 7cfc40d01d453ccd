from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import SignupForm
from .services import coach_sign_up


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = coach_sign_up(
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            timezone=form.cleaned_data["timezone"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to CoachHub, %(name)s.") % {"name": user.get_short_name()})
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})
