"""The conversation store as it stood when it moved under Alembic: sessions, messages, tool calls, feedback.

Revision ID: 0001
Revises:
Create Date: 2026-11-29 22:20:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chat_sessions',
    sa.Column('id', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('koc_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_chat_sessions_koc_id', 'chat_sessions', ['koc_id'])
    op.create_table('chat_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.Column('content', sa.String(), nullable=False),
    sa.Column('language', sa.String(), nullable=False),
    sa.Column('intent', sa.String(), nullable=False),
    sa.Column('provider', sa.String(), nullable=False),
    sa.Column('refused', sa.Boolean(), nullable=False),
    sa.Column('fell_back', sa.Boolean(), nullable=False),
    sa.Column('latency_ms', sa.Integer(), nullable=False),
    sa.Column('citations_json', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['chat_sessions.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_chat_messages_session_id', 'chat_messages', ['session_id'])
    op.create_table('chat_tool_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('args_json', sa.String(), nullable=False),
    sa.Column('result_json', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['chat_messages.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_chat_tool_calls_message_id', 'chat_tool_calls', ['message_id'])
    op.create_table('chat_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.String(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('up', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['chat_messages.id']),
    sa.ForeignKeyConstraint(['session_id'], ['chat_sessions.id']),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_chat_feedback_session_id', 'chat_feedback', ['session_id'])
    op.create_index('ix_chat_feedback_message_id', 'chat_feedback', ['message_id'])


def downgrade() -> None:
    for table in ('chat_feedback', 'chat_tool_calls', 'chat_messages', 'chat_sessions'):
        op.drop_table(table)
