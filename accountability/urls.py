from django.urls import path

from .views import campaigns, implementation, my, tasks

app_name = "accountability"

urlpatterns = [
    path("my/", my.my_home, name="my"),
    path("my/rules/", my.my_rules, name="my-rules"),
    path("my/rules/<str:code>/acknowledge/", my.acknowledge, name="acknowledge"),
    path("my/unit/", my.my_unit, name="my-unit"),
    path("my/tasks/", tasks.task_list, name="my-tasks"),
    path("my/supervised/", my.supervised, name="supervised"),
    path("rules/<str:code>/implementation/", implementation.rule_implementation, name="rule-implementation"),
    path("rules/<str:code>/implementation/assign/", implementation.rule_assign, name="rule-assign"),
    path(
        "rules/<str:code>/implementation/units/<int:pk>/person/",
        implementation.responsible_person,
        name="responsible-person",
    ),
    path("rules/<str:code>/implementation/tasks/new/", implementation.task_create, name="task-create"),
    path("rules/<str:code>/acknowledgements/", implementation.rule_acknowledgements, name="rule-acknowledgements"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task"),
    path("tasks/<int:pk>/report/", tasks.task_report, name="task-report"),
    path("tasks/<int:pk>/done/", tasks.task_done, name="task-done"),
    path("tasks/<int:pk>/accept/", tasks.task_accept, name="task-accept"),
    path("tasks/<int:pk>/return/", tasks.task_return, name="task-return"),
    path("tasks/<int:pk>/cancel/", tasks.task_cancel, name="task-cancel"),
    path("tasks/reports/<int:pk>/evidence/", tasks.evidence_download, name="evidence"),
    path("acknowledgements/", campaigns.campaign_list, name="campaigns"),
    path("acknowledgements/new/", campaigns.campaign_create, name="campaign-create"),
    path("acknowledgements/<int:pk>/", campaigns.campaign_detail, name="campaign"),
]
