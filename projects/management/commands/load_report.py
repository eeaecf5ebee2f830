from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from projects.report import load_named_projects
from targets.report import REPORT_FILE, load_definitions, read_report
from targets.snapshots import batched_recompute


class Command(BaseCommand):
    help = (
        "Load the work report (plan year, departments, programmes, targets, named "
        "projects) or update it in place; running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(REPORT_FILE), help="the report's TOML file")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        data = read_report(path)
        with transaction.atomic(), batched_recompute("加载工作报告"):
            plan_year = load_definitions(data, base_dir=path.parent)
            projects = load_named_projects(data, plan_year)
        self.stdout.write(
            f"{plan_year}: {plan_year.programmes.count()} 项工程, "
            f"{len(data['targets'])} 项指标, {len(data['departments'])} 个单位, "
            f"{projects} 个报告点名项目"
        )
