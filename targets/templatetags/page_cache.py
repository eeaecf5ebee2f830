"""``{% generation_cache plan_year_id "name" part… %}…{% endgeneration_cache %}``: the
enclosed HTML cached under the plan year's generation (targets/cache.py), so a
recompute that changes the snapshots retires it at once.

The key always holds the request's path and query string (sort, page, month, filters:
the table's header links carry them) and the viewer's scope (``viewer_scope``:
department links follow the role); the parts add what else the fragment varies by
(the as-of month, which moves with the date). Put nothing per user inside (the CSRF
token, a nonce, the user's name, panels), only HTML built from the snapshots.
"""

from django import template

from targets import cache as page_cache

register = template.Library()


class GenerationCacheNode(template.Node):
    def __init__(self, nodelist, plan_year, name, parts) -> None:
        self.nodelist, self.plan_year, self.name, self.parts = nodelist, plan_year, name, parts

    def render(self, context) -> str:
        request = context["request"]
        parts = (
            request.path,
            sorted(request.GET.lists()),
            page_cache.viewer_scope(request.user),
            *(part.resolve(context) for part in self.parts),
        )
        return page_cache.cached_fragment(
            self.plan_year.resolve(context),
            self.name.resolve(context),
            parts,
            lambda: self.nodelist.render(context),
        )


@register.tag
def generation_cache(parser, token) -> GenerationCacheNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes a plan year id, a name and optional parts"
        )
    nodelist = parser.parse(("endgeneration_cache",))
    parser.delete_first_token()
    return GenerationCacheNode(
        nodelist,
        parser.compile_filter(bits[1]),
        parser.compile_filter(bits[2]),
        [parser.compile_filter(bit) for bit in bits[3:]],
    )
