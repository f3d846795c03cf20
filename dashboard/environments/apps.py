from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save


class EnvironmentsConfig(AppConfig):
    name = "dashboard.environments"
    label = "environments"
    verbose_name = "Environments"

    def ready(self) -> None:
        for signal in (post_save, post_delete):
            signal.connect(
                _environment_changed, sender=self.get_model("AddedEnvironment"), weak=False
            )


def _environment_changed(**kwargs) -> None:
    """Every process reads the added environments again (registry.py): now, for this
    transaction's own reads, and after commit, for others' that read the old rows meanwhile."""
    from .registry import forget_added_environments

    forget_added_environments()
    transaction.on_commit(forget_added_environments)
