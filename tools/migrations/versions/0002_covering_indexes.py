"""Covering indexes for per-KOC earnings summaries (index-only reads at millions of orders).

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_commission_unsettled")  # present in early development databases only
    op.drop_index('ix_commission_koc_month', table_name='commission')
    op.create_index('ix_commission_koc_month_cover', 'commission',
                    ['koc_id', 'month', 'kind', 'level', 'sku', 'settled_on', 'available_at', 'amount_cents'])
    op.drop_index('ix_orders_koc_paid', table_name='orders')
    op.create_index('ix_orders_koc_paid_cover', 'orders', ['koc_id', 'paid_at', 'sku', 'quantity', 'amount_cents', 'refunded_cents'])


def downgrade() -> None:
    op.drop_index('ix_orders_koc_paid_cover', table_name='orders')
    op.create_index('ix_orders_koc_paid', 'orders', ['koc_id', 'paid_at'])
    op.drop_index('ix_commission_koc_month_cover', table_name='commission')
    op.create_index('ix_commission_koc_month', 'commission', ['koc_id', 'month'])
