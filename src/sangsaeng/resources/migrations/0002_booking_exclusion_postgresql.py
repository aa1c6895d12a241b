"""No two overlapping holding bookings of one piece of equipment, kept by PostgreSQL itself.

An exclusion constraint over (resource, time range) with the btree_gist extension. Only on
PostgreSQL: SQLite has no exclusion constraints, and there the booking service serialises
writes (immediate transactions) and checks overlap under the lock. Capacity pools (licence
seats, GPUs) are checked by the service inside a transaction that locks the resource row.
"""

from django.db import migrations

CONSTRAINT = "booking_equipment_no_overlap"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE resources_booking ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(resource_id WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
        "WHERE (exclusive AND state IN ('requested', 'confirmed'))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE resources_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
