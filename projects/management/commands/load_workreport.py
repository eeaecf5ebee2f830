from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from projects.report import load_named_projects
from targets.report import REPORT_FILE, Tally, load_definitions, read_report
from targets.snapshots import batched_recompute
from zhongyuan.db import analyze


class Command(BaseCommand):
    help = (
        "Load the work report (plan year, departments, programmes, targets, named "
        "projects): creates what is missing and leaves existing rows (the admins' edits) "
        "alone; --update resets existing rows to the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(REPORT_FILE), help="the report's TOML file")
        parser.add_argument(
            "--update",
            action="store_true",
            help="also reset existing definitions to the file (undoes edits made in the admin)",
        )

    def handle(self, *args, file: str, update: bool, **options):
        path = Path(file)
        data = read_report(path)
        tally = Tally()
        with transaction.atomic(), batched_recompute("加载工作报告"):
            plan_year = load_definitions(data, base_dir=path.parent, update=update, tally=tally)
            load_named_projects(data, plan_year, update=update, tally=tally)
        analyze()
        self.stdout.write(
            f"{plan_year}：报告含 {len(data['programmes'])} 项工程、{len(data['targets'])} 项指标、"
            f"{len(data['departments'])} 个单位、{len(data.get('projects', []))} 个点名项目；"
            f"新建 {tally.created} 条，更新 {tally.updated} 条。"
        )
