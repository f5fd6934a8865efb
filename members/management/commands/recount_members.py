from django.core.management.base import BaseCommand

from members.counts import recount_organization_members


class Command(BaseCommand):
    help = "Đếm lại số đảng viên theo chi bộ và tình trạng từ danh sách đảng viên; báo các số đã sai được sửa."

    def handle(self, *args, **options):
        drift = recount_organization_members()
        for entry in drift:
            self.stdout.write(
                "Tổ chức {organization_id}, tình trạng {status}: đã lưu {stored}, đếm được {actual}.".format(**entry)
            )
        if drift:
            self.stdout.write(self.style.WARNING(f"Đã sửa {len(drift)} số đếm bị lệch."))
        else:
            self.stdout.write(self.style.SUCCESS("Số đảng viên theo chi bộ khớp với danh sách; không có gì phải sửa."))
