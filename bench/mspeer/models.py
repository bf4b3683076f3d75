"""One model holding the pre-segmented text (space-separated jieba tokens), so modelsearch
sees the same words as gongkai.search."""

from django.db import models
from modelsearch import index
from modelsearch.queryset import SearchableQuerySetMixin


class MsDocQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class MsDoc(index.Indexed, models.Model):
    title_seg = models.TextField()
    body_seg = models.TextField()
    published_at = models.DateTimeField(null=True)

    objects = MsDocQuerySet.as_manager()

    search_fields = [
        index.SearchField("title_seg", boost=8.0),
        index.SearchField("body_seg"),
        index.FilterField("id"),
        index.FilterField("published_at"),
    ]

    def __str__(self) -> str:
        return self.title_seg[:40]
