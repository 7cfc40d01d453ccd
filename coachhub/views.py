from django.shortcuts import redirect, render


def home(request):
    """The front door: coaches go to their dashboard, coachees to their homework."""
    if request.user.is_authenticated:
        if request.user.is_coach:
            return redirect("homework:dashboard")
        return redirect("my:home")
    return render(request, "landing.html")
