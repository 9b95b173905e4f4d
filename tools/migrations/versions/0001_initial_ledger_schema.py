"""Initial ledger schema: KOCs, products, orders, refunds, commission ledger, settlements, activity, trials, tier history, status events, competition results.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 16:58:03.355085
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table of the first schema.

    Long on purpose: one ``create_table`` per table, as Alembic generated it; a released migration
    is a fixed record of the schema and is never split or edited, only followed by new revisions."""
    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )

    op.create_table('koc',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('tier', sa.String(length=32), nullable=False),
    sa.Column('recruiter_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('link_code', sa.String(length=64), nullable=False),
    sa.Column('coupon_code', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('joined_sharing_activity', sa.Boolean(), nullable=False),
    sa.Column('trial_suspended_until', sa.Date(), nullable=True),
    sa.Column('trial_suspended_from', sa.Date(), nullable=True),
    sa.Column('assessment_passed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['recruiter_id'], ['koc.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('coupon_code'),
    sa.UniqueConstraint('link_code'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('koc', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_koc_recruiter_id'), ['recruiter_id'], unique=False)

    op.create_table('product',
    sa.Column('sku', sa.String(length=32), nullable=False),
    sa.Column('name_zh', sa.String(), nullable=False),
    sa.Column('name_en', sa.String(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('sku')
    )
    op.create_table('activity',
    sa.Column('koc_id', sa.Integer(), nullable=False),
    sa.Column('posts', sa.Integer(), nullable=False),
    sa.Column('interactions', sa.Integer(), nullable=False),
    sa.Column('group_size', sa.Integer(), nullable=False),
    sa.Column('fans', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['koc_id'], ['koc.id'], ),
    sa.PrimaryKeyConstraint('koc_id')
    )
    op.create_table('commission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_key', sa.String(length=160), nullable=False),
    sa.Column('order_id', sa.String(length=64), nullable=False),
    sa.Column('koc_id', sa.Integer(), nullable=False),
    sa.Column('source_koc_id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=32), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('rate_ppm', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('available_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('settled_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['koc_id'], ['koc.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('entry_key')
    )
    with op.batch_alter_table('commission', schema=None) as batch_op:
        batch_op.create_index('ix_commission_koc_month', ['koc_id', 'month'], unique=False)
        batch_op.create_index('ix_commission_order', ['order_id'], unique=False)

    op.create_table('competition_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('koc_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('net_sales_cents', sa.BigInteger(), nullable=False),
    sa.Column('prize', sa.String(), nullable=False),
    sa.Column('certificate', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['koc_id'], ['koc.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('month', 'koc_id', name='uq_competition_month_koc')
    )
    with op.batch_alter_table('competition_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_result_month'), ['month'], unique=False)

    op.create_table('orders',
    sa.Column('order_id', sa.String(length=64), nullable=False),
    sa.Column('koc_id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=32), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('refunded_cents', sa.BigInteger(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.ForeignKeyConstraint(['koc_id'], ['koc.id'], ),
    sa.ForeignKeyConstraint(['sku'], ['product.sku'], ),
    sa.PrimaryKeyConstraint('order_id')
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_koc_paid', ['koc_id', 'paid_at'], unique=False)
        batch_op.create_index('ix_orders_month_koc', ['month', 'koc_id'], unique=False)

    op.create_table('settlement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('koc_id', sa.Integer(), nullable=False),
    sa.Column('settled_on', sa.Date(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['koc_id'], ['koc.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('koc_id', 'settled_on', name='uq_settlement_koc_day')
    )
    op.create_table('status_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('koc_id', sa.Integer(), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['koc_id'], ['koc.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('status_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_status_event_koc_id'), ['koc_id'], unique=False)

    op.create_table('tier_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('koc_id', sa.Integer(), nullable=False),
    sa.Column('from_tier', sa.String(length=32), nullable=True),
    sa.Column('to_tier', sa.String(length=32), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['koc_id'], ['koc.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tier_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tier_history_koc_id'), ['koc_id'], unique=False)

    op.create_table('trial',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('koc_id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reminded_on', sa.Date(), nullable=True),
    sa.Column('delivered_on', sa.Date(), nullable=True),
    sa.Column('review_score', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['koc_id'], ['koc.id'], ),
    sa.ForeignKeyConstraint(['sku'], ['product.sku'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('trial', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trial_koc_id'), ['koc_id'], unique=False)

    op.create_table('refund',
    sa.Column('refund_id', sa.String(length=64), nullable=False),
    sa.Column('order_id', sa.String(length=64), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.order_id'], ),
    sa.PrimaryKeyConstraint('refund_id')
    )
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_order_id'), ['order_id'], unique=False)




def downgrade() -> None:
    op.drop_table('meta')

    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_order_id'))

    op.drop_table('refund')
    with op.batch_alter_table('trial', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trial_koc_id'))

    op.drop_table('trial')
    with op.batch_alter_table('tier_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tier_history_koc_id'))

    op.drop_table('tier_history')
    with op.batch_alter_table('status_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_event_koc_id'))

    op.drop_table('status_event')
    op.drop_table('settlement')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_month_koc')
        batch_op.drop_index('ix_orders_koc_paid')

    op.drop_table('orders')
    with op.batch_alter_table('competition_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_result_month'))

    op.drop_table('competition_result')
    with op.batch_alter_table('commission', schema=None) as batch_op:
        batch_op.drop_index('ix_commission_order')
        batch_op.drop_index('ix_commission_koc_month')

    op.drop_table('commission')
    op.drop_table('activity')
    op.drop_table('product')
    with op.batch_alter_table('koc', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_koc_recruiter_id'))

    op.drop_table('koc')

