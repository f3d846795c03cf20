import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from dashboard.admission import AdmissionControl
from dashboard.stack_room import with_stack_room

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")
application = with_stack_room(
    AdmissionControl(
        get_wsgi_application(),
        slots=settings.WEB_THREADS,
        queue_timeout=settings.WEB_QUEUE_TIMEOUT,
    )
)
