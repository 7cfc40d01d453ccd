app_name = "coaching"

urlpatterns = []
