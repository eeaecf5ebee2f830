"""The 督查室's month. One module per part, so each reads on its own:

- ``month``: closed months, 通报 (bulletins), the escalation ladder's steps;
- ``orders``: 督办单 and 领导批示, concrete workflow entries;
- ``push``: 企业微信 / 钉钉 group robots.
"""

from supervision.models.month import *  # noqa: F403
from supervision.models.orders import *  # noqa: F403
from supervision.models.push import *  # noqa: F403
