from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "sangsaeng.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from sangsaeng.core import indexing, navigation, policy
        from sangsaeng.search import ranking, registry, rules, signals

        policy.register(*rules.RULES)
        registry.collect()
        signals.connect()
        indexing.provide_ranking(ranking.ordered_by_rank)
        navigation.register(
            navigation.NavItem(
                id="nav-search", url_name="search:search", label=_("Search"), order=60
            )
        )
