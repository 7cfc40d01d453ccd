app_name = "homework"

urlpatterns = []
