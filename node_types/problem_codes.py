"""The stable codes of validation problems: one per kind of problem, named `area.what`.

A Problem's `message` is English for API clients and logs; its `code` and `params` let a
client say the same thing in the reader's language (the UI's `problems` namespace has a
text per code). Codes are part of the API: add new ones freely, never rename one.
"""

from __future__ import annotations

from enum import StrEnum


class ProblemCode(StrEnum):
    """Every code a definition (or template parameter) check can give a Problem."""

    # The document as a whole.
    DEFINITION_NOT_OBJECT = "definition.not_object"
    # Shape errors (pydantic, on the IR) and JSON-Schema errors (node configs, template
    # parameters) share the schema.<keyword> codes; params name the keyword's value.
    SCHEMA_REQUIRED = "schema.required"  # property
    SCHEMA_TYPE = "schema.type"  # expected
    SCHEMA_ENUM = "schema.enum"  # allowed
    SCHEMA_CONST = "schema.const"  # expected
    SCHEMA_MINIMUM = "schema.minimum"  # limit
    SCHEMA_MAXIMUM = "schema.maximum"  # limit
    SCHEMA_EXCLUSIVE_MINIMUM = "schema.exclusiveMinimum"  # limit
    SCHEMA_EXCLUSIVE_MAXIMUM = "schema.exclusiveMaximum"  # limit
    SCHEMA_MULTIPLE_OF = "schema.multipleOf"  # limit
    SCHEMA_MIN_LENGTH = "schema.minLength"  # limit
    SCHEMA_MAX_LENGTH = "schema.maxLength"  # limit
    SCHEMA_MIN_ITEMS = "schema.minItems"  # limit
    SCHEMA_MAX_ITEMS = "schema.maxItems"  # limit
    SCHEMA_UNIQUE_ITEMS = "schema.uniqueItems"
    SCHEMA_MIN_PROPERTIES = "schema.minProperties"  # limit
    SCHEMA_MAX_PROPERTIES = "schema.maxProperties"  # limit
    SCHEMA_ADDITIONAL_PROPERTIES = "schema.additionalProperties"  # properties
    SCHEMA_PATTERN = "schema.pattern"  # pattern
    SCHEMA_FORMAT = "schema.format"  # format
    SCHEMA_ANY_OF = "schema.anyOf"
    SCHEMA_ONE_OF = "schema.oneOf"
    SCHEMA_NOT = "schema.not"
    SCHEMA_OTHER = "schema.other"  # keyword, detail: a keyword without a code of its own
    SHAPE_INVALID = "shape.invalid"  # detail: a shape error without a code of its own
    # State keys.
    STATE_KEY_NOT_IDENTIFIER = "state.key_not_identifier"  # key
    STATE_KEY_RESERVED = "state.key_reserved"  # key
    STATE_UNKNOWN_TYPE = "state.unknown_type"  # type, known
    STATE_INVALID_SCHEMA = "state.invalid_schema"  # detail
    STATE_DEFAULT_KIND = "state.default_kind"  # reducer, kind
    STATE_DEFAULT_TYPE = "state.default_type"  # expected, actual
    STATE_UNKNOWN_KEY = "state.unknown_key"  # key
    STATE_READ_UNDECLARED = "state.read_undeclared"  # key
    STATE_READ_NEVER_WRITTEN = "state.read_never_written"  # key
    STATE_READ_NOT_IN_PAYLOAD = "state.read_not_in_payload"  # key
    STATE_WRITE_UNDECLARED = "state.write_undeclared"  # key
    # Nodes.
    NODE_DUPLICATE_NAME = "node.duplicate_name"  # node, first
    NODE_NAME_IS_STATE_KEY = "node.name_is_state_key"  # node
    NODE_UNKNOWN_TYPE = "node.unknown_type"  # type, known
    NODE_UNREACHABLE = "node.unreachable"  # node
    NODE_NO_PATH_TO_END = "node.no_path_to_end"  # node
    NODE_CONFIG_INVALID = "node.config_invalid"  # detail: a node type's check without a code
    # Edges and the graph they form.
    EDGE_DUPLICATE = "edge.duplicate"  # first
    EDGE_CONDITIONAL_NEEDS_MAPPING = "edge.conditional_needs_mapping"
    EDGE_SOURCE_IS_END = "edge.source_is_end"
    EDGE_UNKNOWN_SOURCE = "edge.unknown_source"  # node
    EDGE_TARGET_IS_START = "edge.target_is_start"
    EDGE_FANOUT_TO_END = "edge.fanout_to_end"
    EDGE_UNKNOWN_TARGET = "edge.unknown_target"  # node
    EDGE_UNKNOWN_KIND = "edge.unknown_kind"  # kind, expected
    EDGE_FANOUT_TARGETS_OR_OVER = "edge.fanout_targets_or_over"
    EDGE_FANOUT_NO_TARGETS = "edge.fanout_no_targets"
    EDGE_FANOUT_NEEDS_TARGET_AND_OVER = "edge.fanout_needs_target_and_over"
    GRAPH_NO_START_EDGE = "graph.no_start_edge"
    GRAPH_LOOP_NEEDS_MAX_STEPS = "graph.loop_needs_max_steps"  # loop
    # Expressions and templates (position: 0-based offset into the text, when known).
    EXPRESSION_EMPTY = "expression.empty"
    EXPRESSION_SYNTAX = "expression.syntax"  # detail, position
    EXPRESSION_INVALID = "expression.invalid"  # detail, position
    TEMPLATE_UNCLOSED = "template.unclosed"  # position
    TEMPLATE_INVALID = "template.invalid"  # detail, position
    # Node types' own checks beyond their config schema.
    TOOL_NEEDS_OUTPUT_KEY = "tool.needs_output_key"
    TOOL_NEEDS_MESSAGES_KEY = "tool.needs_messages_key"
    CODE_SYNTAX = "code.syntax"  # line, column, detail
    CODE_CANNOT_COMPILE = "code.cannot_compile"  # detail
    CODE_NO_MAIN = "code.no_main"
    CODE_MAIN_ASYNC = "code.main_async"  # line
    CODE_MAIN_CLASS = "code.main_class"  # line
    CODE_MAIN_NO_ARGUMENT = "code.main_no_argument"  # line
    CODE_ONE_OUTPUT = "code.one_output"
    CODE_OUTPUT_SCHEMA_INVALID = "code.output_schema_invalid"  # detail
    HUMAN_INPUT_SCHEMA_TOO_LARGE = "human.input_schema_too_large"  # size, limit
    HUMAN_INPUT_SCHEMA_INVALID = "human.input_schema_invalid"  # detail
    HUMAN_DEFAULT_INPUT_MISSING = "human.default_input_missing"
    HUMAN_DEFAULT_INPUT_INVALID = "human.default_input_invalid"  # detail
    HUMAN_DEADLINE_WITH_POLICY = "human.deadline_with_policy"
    APPROVAL_DECISION_NOT_BOOLEAN = "approval.decision_not_boolean"  # key
    APPROVAL_DECISION_NOT_REQUIRED = "approval.decision_not_required"  # key
    APPROVAL_QUORUM_TOO_LARGE = "approval.quorum_too_large"  # quorum, named
    APPROVAL_ESCALATE_WITHOUT_TARGET = "approval.escalate_without_target"
    APPROVAL_REMINDER_AFTER_DEADLINE = "approval.reminder_after_deadline"
    # Templates.
    TEMPLATE_UNKNOWN_PARAMETER = "template.unknown_parameter"  # parameter
