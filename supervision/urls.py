from django.urls import path

from supervision.views import month, orders

app_name = "supervision"

urlpatterns: list = [
    # --- the month: closing，通报 (sup-month) ---
    path("months/", month.months, name="months"),
    path("months/<str:month>/close/", month.close, name="month_close"),
    path("months/<str:month>/reopen/", month.reopen, name="month_reopen"),
    path("bulletins/", month.bulletins, name="bulletins"),
    path("bulletins/generate/", month.generate, name="bulletin_generate"),
    path("bulletins/<int:pk>/download/", month.download, name="bulletin_download"),
    path("bulletins/<int:pk>/publish/", month.publish, name="bulletin_publish"),
    # --- end of the month block ---
]

# --- 督办单 and 领导批示 (supervision/views/orders.py) ----------------------------------
urlpatterns += [
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:pk>/", orders.order_page, name="order"),
    path("orders/<int:pk>/confirm/", orders.confirm, name="order_confirm"),
    path("orders/<int:pk>/close/", orders.close, name="order_close"),
    path("orders/<int:pk>/extend/", orders.extend, name="order_extend"),
    path("orders/open/target/<int:pk>/", orders.open_for_target, name="open_target"),
    path("orders/open/project/<int:pk>/", orders.open_for_project, name="open_project"),
    path("instructions/", orders.instruction_list, name="instructions"),
    path("instructions/target/<int:pk>/", orders.instruct_target, name="instruct_target"),
    path("instructions/project/<int:pk>/", orders.instruct_project, name="instruct_project"),
    path("instructions/order/<int:pk>/", orders.instruct_order, name="instruct_order"),
]
