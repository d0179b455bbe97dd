"""The official SDK's exception classes chosen by ``error.details.error_code`` as well as status (anthropic 2.17).

An error answer whose ``(status, error.details.error_code)`` is in :data:`BY_CODE` raises that class; any other
raises its status's class (``fakeclaude._exceptions``), as the SDK does. Each class here subclasses its status's
class, so ``except fakeclaude.BadRequestError`` still catches a ``CompactionBlockMisplacedError``.

The names, statuses and codes are the SDK's (its ``ERROR_CLASSES`` table in 2.17.0); the fake itself answers
``file_expired``, ``file_not_downloadable``, ``compaction_block_misplaced``, ``compaction_signature_invalid``,
the ``thread_*`` codes and the ``request_body_*`` codes. Each is exported where the SDK exports it: from
``fakeclaude`` (as ``anthropic``), ``fakeclaude.types`` (as ``anthropic.types``) or ``fakeclaude.types.beta``
(as ``anthropic.types.beta``); the SDK keeps the rest (organization and admin endpoints) in submodules of
``anthropic.types``, and fakeclaude only here. This module loads on the first error answer with a code
(or the first import of such a name).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ._exceptions import (
    STATUS_CLASSES,
    APIStatusError,
    BadRequestError,
    ConflictError,
    ContentTooLargeError,
    NotFoundError,
    OverloadedError,
    PaymentRequiredError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    ServiceUnavailableError,
)

__all__ = ["BY_CODE", "SDK_VERSION"]

SDK_VERSION = (2, 17)
"""The SDK release whose table this mirrors (a newer one may know codes this does not)."""

BY_CODE: dict[tuple[int, str], type[APIStatusError]] = {}
"""``(status, error_code)``: the class an error answer with that code raises."""

_STATUS_OF = {cls: status for status, cls in STATUS_CLASSES.items()}
_Class = TypeVar("_Class", bound=type[APIStatusError])


def _code(code: str) -> Callable[[_Class], _Class]:
    """Register the class for ``code`` under its base class's status."""

    def register(cls: _Class) -> _Class:
        BY_CODE[_STATUS_OF[cls.__bases__[0]], code] = cls
        return cls

    return register


# ----- 400 -----------------------------------------------------------------------------------------
@_code("already_member")
class AlreadyMemberError(BadRequestError): ...

@_code("approval_required")
class BetaApprovalRequiredError(BadRequestError): ...

@_code("available_tools_limit_exceeded")
class AvailableToolsLimitExceededError(BadRequestError):
    """400 ``available_tools_limit_exceeded``: the request offers more tools than a request may."""

@_code("bundle_attachment_not_supported")
class BetaBundleAttachmentNotSupportedError(BadRequestError): ...

@_code("bundle_on_call")
class BetaBundleOnCallError(BadRequestError): ...

@_code("cannot_invite_emails_with_unverified_domains")
class CannotInviteEmailsWithUnverifiedDomainsError(BadRequestError): ...

@_code("cannot_remove_last_member")
class CannotRemoveLastMemberError(BadRequestError): ...

@_code("cannot_sign_out_primary_owner")
class BetaCannotSignOutPrimaryOwnerError(BadRequestError): ...

@_code("cannot_sign_out_self")
class BetaCannotSignOutSelfError(BadRequestError): ...

@_code("claude_code_key_creator_not_member")
class ClaudeCodeKeyCreatorNotMemberError(BadRequestError): ...

@_code("claude_code_version_too_old")
class ClaudeCodeVersionTooOldError(BadRequestError): ...

@_code("cmek_feature_unsupported")
class BetaCMEKFeatureUnsupportedError(BadRequestError): ...

@_code("cmek_key_disabled")
class CMEKKeyDisabledError(BadRequestError): ...

@_code("cmek_key_network_blocked")
class CMEKKeyNetworkBlockedError(BadRequestError): ...

@_code("cmek_not_approved")
class BetaCMEKNotApprovedError(BadRequestError): ...

@_code("compaction_block_ambiguous")
class CompactionBlockAmbiguousError(BadRequestError):
    """400 ``compaction_block_ambiguous``: ``messages`` holds more than one ``compaction`` block with
    content; send back only the newest."""

@_code("compaction_block_misplaced")
class CompactionBlockMisplacedError(BadRequestError):
    """400 ``compaction_block_misplaced``: a ``compaction`` block is not the first block of the
    conversation, or sits in a system turn."""

@_code("compaction_content_mismatch")
class CompactionContentMismatchError(BadRequestError):
    """400 ``compaction_content_mismatch``: a ``compaction`` block's ``content`` is not what its
    ``signature`` recorded."""

@_code("compaction_incomplete_turn")
class CompactionIncompleteTurnError(BadRequestError):
    """400 ``compaction_incomplete_turn``: a compaction request ends on an unfinished assistant turn."""

@_code("compaction_nothing_to_summarize")
class CompactionNothingToSummarizeError(BadRequestError):
    """400 ``compaction_nothing_to_summarize``: a compaction request has nothing to summarize."""

@_code("compaction_signature_invalid")
class CompactionSignatureInvalidError(BadRequestError):
    """400 ``compaction_signature_invalid``: a ``compaction`` block's ``signature`` does not verify."""

@_code("compaction_too_many_tool_references")
class CompactionTooManyToolReferencesError(BadRequestError):
    """400 ``compaction_too_many_tool_references``: the conversation to compact names too many tools."""

@_code("compaction_tool_changes_mismatch")
class CompactionToolChangesMismatchError(BadRequestError):
    """400 ``compaction_tool_changes_mismatch``: a ``compaction`` block's ``tool_changes`` do not match the
    request's ``tools``."""

@_code("email_domain_not_allowed")
class EmailDomainNotAllowedError(BadRequestError): ...

@_code("environment_archived")
class BetaEnvironmentArchivedError(BadRequestError): ...

@_code("external_key_in_workspace_policy")
class ExternalKeyInWorkspacePolicyError(BadRequestError): ...

@_code("external_key_not_found")
class BetaExternalKeyNotFoundError(BadRequestError): ...

@_code("external_key_provider_mismatch")
class BetaExternalKeyProviderMismatchError(BadRequestError): ...

@_code("external_key_validation_failed")
class ExternalKeyValidationFailedError(BadRequestError): ...

@_code("external_key_validation_timed_out")
class ExternalKeyValidationTimedOutError(BadRequestError): ...

@_code("external_storage_in_use")
class BetaExternalStorageInUseError(BadRequestError): ...

@_code("external_storage_in_workspace_policy")
class BetaExternalStorageInWorkspacePolicyError(BadRequestError): ...

@_code("external_storage_not_available")
class BetaExternalStorageNotAvailableError(BadRequestError): ...

@_code("file_not_downloadable")
class FileNotDownloadableError(BadRequestError):
    """400 ``file_not_downloadable``: the file was uploaded, not made by a tool: only files a tool made are
    downloadable."""

@_code("gcp_project_not_verified")
class BetaGCPProjectNotVerifiedError(BadRequestError): ...

@_code("grant_required")
class BetaGrantRequiredError(BadRequestError): ...

@_code("human_review_not_available")
class BetaHumanReviewNotAvailableError(BadRequestError): ...

@_code("human_review_on_with_external_storage")
class BetaHumanReviewOnWithExternalStorageError(BadRequestError): ...

@_code("image_dimensions_too_large")
class ImageDimensionsTooLargeError(BadRequestError):
    """400 ``image_dimensions_too_large``: an image is larger than the API accepts."""

@_code("invalid_config_type_change")
class BetaInvalidConfigTypeChangeError(BadRequestError): ...

@_code("invalid_metadata")
class BetaInvalidMetadataError(BadRequestError): ...

@_code("invalid_storage_arn")
class BetaInvalidStorageARNError(BadRequestError): ...

@_code("invite_already_exists")
class InviteAlreadyExistsError(BadRequestError): ...

@_code("key_profile_mismatch")
class KeyProfileMismatchError(BadRequestError): ...

@_code("org_api_key_limit_exceeded")
class OrgAPIKeyLimitExceededError(BadRequestError): ...

@_code("org_member_limit_exceeded")
class OrgMemberLimitExceededError(BadRequestError): ...

@_code("organization_not_eligible")
class BetaOrganizationNotEligibleError(BadRequestError): ...

@_code("organization_not_enrolled_in_beta")
class BetaOrganizationNotEnrolledInBetaError(BadRequestError): ...

@_code("organization_on_hold")
class OrganizationOnHoldError(BadRequestError): ...

@_code("organization_type_not_supported")
class OrganizationTypeNotSupportedError(BadRequestError): ...

@_code("organization_url_fetch_disabled")
class OrganizationURLFetchDisabledError(BadRequestError):
    """400 ``organization_url_fetch_disabled``: the organization does not allow the API to fetch URLs (URL
    sources, web fetch)."""

@_code("parent_organization_required")
class ParentOrganizationRequiredError(BadRequestError): ...

@_code("provider_not_allowed")
class BetaProviderNotAllowedError(BadRequestError): ...

@_code("rbac_group_grants_owner_access")
class RBACGroupGrantsOwnerAccessError(BadRequestError): ...

@_code("rbac_group_order_limit_exceeded")
class BetaRBACGroupOrderLimitExceededError(BadRequestError): ...

@_code("rbac_group_owner_access_unconfirmed")
class RBACGroupOwnerAccessUnconfirmedError(BadRequestError): ...

@_code("region_not_supported")
class BetaRegionNotSupportedError(BadRequestError): ...

@_code("report_page_too_large")
class BetaReportPageTooLargeError(BadRequestError): ...

@_code("request_body_encoding_invalid")
class RequestBodyEncodingInvalidError(BadRequestError):
    """400 ``request_body_encoding_invalid``: the request body is not valid for its ``Content-Encoding``."""

@_code("request_body_encoding_unsupported")
class RequestBodyEncodingUnsupportedError(BadRequestError):
    """400 ``request_body_encoding_unsupported``: the request's ``Content-Encoding`` is not supported."""

@_code("request_body_timeout")
class BetaRequestBodyTimeoutError(BadRequestError):
    """400 ``request_body_timeout``: the request body did not arrive in time."""

@_code("scan_failed")
class BetaScanFailedError(BadRequestError): ...

@_code("settings_document_limit_exceeded")
class BetaSettingsDocumentLimitExceededError(BadRequestError): ...

@_code("settings_history_limit_exceeded")
class BetaSettingsHistoryLimitExceededError(BadRequestError): ...

@_code("slack_channel_set_up_settings_refused")
class BetaSlackChannelSetUpSettingsRefusedError(BadRequestError): ...

@_code("storage_attach_limit_reached")
class BetaStorageAttachLimitReachedError(BadRequestError): ...

@_code("storage_not_approved")
class BetaStorageNotApprovedError(BadRequestError): ...

@_code("storage_not_attachable")
class BetaStorageNotAttachableError(BadRequestError): ...

@_code("storage_profile_mismatch")
class StorageProfileMismatchError(BadRequestError): ...

@_code("storage_profile_still_required")
class BetaStorageProfileStillRequiredError(BadRequestError): ...

@_code("storage_quota_exceeded")
class StorageQuotaExceededError(BadRequestError):
    """400 ``storage_quota_exceeded``: the organization's file storage is full."""

@_code("storage_verification_failed")
class BetaStorageVerificationFailedError(BadRequestError): ...

@_code("thread_already_continued")
class ThreadAlreadyContinuedError(BadRequestError):
    """400 ``thread_already_continued``: that reply was continued already; each reply ``id`` is continued at
    most once, so continue from the thread's newest reply (or replay under ``create``)."""

@_code("thread_continue_in_flight")
class ThreadContinueInFlightError(BadRequestError):
    """400 ``thread_continue_in_flight``: another request is continuing that reply right now."""

@_code("thread_fingerprint_mismatch")
class ThreadFingerprintMismatchError(BadRequestError):
    """400 ``thread_fingerprint_mismatch``: a ``continue`` sent ``system`` or ``tools`` unlike the request
    that created the thread (the message names the field)."""

@_code("thread_unsupported_request")
class ThreadUnsupportedRequestError(BadRequestError):
    """400 ``thread_unsupported_request``: the request uses a field threads do not support, named in
    ``details["unsupported"]``. Send the whole conversation without ``thread`` instead."""

@_code("too_many_report_groups")
class BetaTooManyReportGroupsError(BadRequestError): ...

@_code("tool_name_conflict")
class ToolNameConflictError(BadRequestError):
    """400 ``tool_name_conflict``: two offered tools share a name."""

@_code("tool_reference_unresolved")
class ToolReferenceUnresolvedError(BadRequestError):
    """400 ``tool_reference_unresolved``: a ``tool_reference`` names a tool the request does not offer."""

@_code("transcripts_storage_required")
class BetaTranscriptsStorageRequiredError(BadRequestError): ...

@_code("unsupported_charset")
class BetaUnsupportedCharsetError(BadRequestError):
    """400 ``unsupported_charset``: the request's charset is not supported."""

@_code("unsupported_region")
class BetaUnsupportedRegionError(BadRequestError): ...

@_code("user_profile_cleared")
class UserProfileClearedError(BadRequestError): ...

@_code("user_profile_not_found")
class UserProfileNotFoundError(BadRequestError): ...

@_code("user_profile_required")
class UserProfileRequiredError(BadRequestError): ...

@_code("workspace_api_key_limit_exceeded")
class WorkspaceAPIKeyLimitExceededError(BadRequestError): ...

@_code("workspace_human_review_disabled")
class WorkspaceHumanReviewDisabledError(BadRequestError): ...

@_code("workspace_member_limit_exceeded")
class WorkspaceMemberLimitExceededError(BadRequestError): ...

@_code("workspace_policy_violation")
class WorkspacePolicyViolationError(BadRequestError): ...


# ----- 402 -----------------------------------------------------------------------------------------
@_code("linked_organization_billing_unavailable")
class LinkedOrganizationBillingUnavailableError(PaymentRequiredError):
    """402 ``linked_organization_billing_unavailable``: the linked organization that pays for this one
    cannot be billed."""

@_code("linked_organization_spend_limit_reached")
class LinkedOrganizationSpendLimitReachedError(PaymentRequiredError):
    """402 ``linked_organization_spend_limit_reached``: the linked organization that pays for this one
    reached its spend limit."""


# ----- 403 -----------------------------------------------------------------------------------------
@_code("api_key_requester_unconfirmed")
class APIKeyRequesterUnconfirmedError(PermissionDeniedError): ...

@_code("api_key_scope_missing")
class BetaAPIKeyScopeMissingError(PermissionDeniedError): ...

@_code("cannot_sign_out_managed_member")
class BetaCannotSignOutManagedMemberError(PermissionDeniedError): ...

@_code("cannot_sign_out_membership_admin")
class BetaCannotSignOutMembershipAdminError(PermissionDeniedError): ...

@_code("cannot_sign_out_owner")
class BetaCannotSignOutOwnerError(PermissionDeniedError): ...

@_code("cannot_sign_out_privileged_member")
class BetaCannotSignOutPrivilegedMemberError(PermissionDeniedError): ...

@_code("claude_tag_writes_not_enabled")
class BetaClaudeTagWritesNotEnabledError(PermissionDeniedError): ...

@_code("compliance_configuration_restricted")
class BetaComplianceConfigurationRestrictedError(PermissionDeniedError): ...

@_code("environment_create_disabled")
class BetaEnvironmentCreateDisabledError(PermissionDeniedError): ...

@_code("environment_update_disabled")
class BetaEnvironmentUpdateDisabledError(PermissionDeniedError): ...

@_code("organization_level_scoped_api_key_required")
class BetaOrganizationLevelScopedAPIKeyRequiredError(PermissionDeniedError): ...

@_code("sandbox_egress_restricted")
class SandboxEgressRestrictedError(PermissionDeniedError): ...

@_code("spend_limits_admin_api_writes_not_enabled")
class BetaSpendLimitsAdminAPIWritesNotEnabledError(PermissionDeniedError): ...

@_code("user_profile_billing_not_authorized")
class UserProfileBillingNotAuthorizedError(PermissionDeniedError): ...

@_code("user_profile_not_billable")
class UserProfileNotBillableError(PermissionDeniedError): ...


# ----- 404 -----------------------------------------------------------------------------------------
@_code("environment_not_found")
class BetaEnvironmentNotFoundError(NotFoundError): ...

@_code("file_expired")
class FileExpiredError(NotFoundError):
    """404 ``file_expired``: the file's ``expires_at`` passed: its bytes are gone."""

@_code("rbac_group_managed_settings_not_found")
class BetaRBACGroupManagedSettingsNotFoundError(NotFoundError): ...

@_code("rbac_group_not_found")
class BetaRBACGroupNotFoundError(NotFoundError): ...

@_code("rbac_role_not_found")
class RBACRoleNotFoundError(NotFoundError): ...

@_code("slack_channel_set_up_environment_not_found")
class BetaSlackChannelSetUpEnvironmentNotFoundError(NotFoundError): ...

@_code("thread_not_found")
class ThreadNotFoundError(NotFoundError):
    """404 ``thread_not_found``: no thread state is kept for ``previous_message_id`` (unknown, expired, or a
    reply the server does not keep). Replay the whole conversation under ``thread: {"type": "create"}``."""


# ----- 409 -----------------------------------------------------------------------------------------
@_code("concurrent_membership_change")
class ConcurrentMembershipChangeError(ConflictError): ...

@_code("external_key_changed")
class ExternalKeyChangedError(ConflictError): ...

@_code("gcp_project_controlled_by_another_organization")
class BetaGCPProjectControlledByAnotherOrganizationError(ConflictError): ...

@_code("plugin_name_taken")
class BetaPluginNameTakenError(ConflictError): ...

@_code("scan_pending")
class BetaScanPendingError(ConflictError): ...

@_code("skill_name_taken")
class BetaSkillNameTakenError(ConflictError): ...

@_code("skill_read_blocked_undecryptable")
class SkillReadBlockedUndecryptableError(ConflictError): ...

@_code("slack_channel_set_up_settings_conflict")
class BetaSlackChannelSetUpSettingsConflictError(ConflictError): ...

@_code("storage_already_registered")
class BetaStorageAlreadyRegisteredError(ConflictError): ...

@_code("storage_attached_during_archive")
class StorageAttachedDuringArchiveError(ConflictError): ...

@_code("storage_changed_concurrently")
class BetaStorageChangedConcurrentlyError(ConflictError): ...

@_code("storage_in_use")
class BetaStorageInUseError(ConflictError): ...

@_code("workspace_changed_concurrently")
class BetaWorkspaceChangedConcurrentlyError(ConflictError): ...


# ----- 412 -----------------------------------------------------------------------------------------
@_code("heartbeat_precondition_failed")
class BetaHeartbeatPreconditionFailedError(PreconditionFailedError): ...


# ----- 413 -----------------------------------------------------------------------------------------
@_code("request_body_too_large_after_decoding")
class RequestBodyTooLargeAfterDecodingError(ContentTooLargeError):
    """413 ``request_body_too_large_after_decoding``: the compressed request body exceeds the request size
    limit once decoded."""


# ----- 429 -----------------------------------------------------------------------------------------
@_code("contract_spend_limit_reached")
class ContractSpendLimitReachedError(RateLimitError):
    """429 ``contract_spend_limit_reached``: the organization's contracted spend is used up."""

@_code("enforced_spend_limit_reached")
class EnforcedSpendLimitReachedError(RateLimitError):
    """429 ``enforced_spend_limit_reached``: a spend limit set on the organization or workspace is reached."""

@_code("ramp_limit_exceeded")
class RampLimitExceededError(RateLimitError):
    """429 ``ramp_limit_exceeded``: usage grew faster than the organization's ramp allows."""


# ----- 503 -----------------------------------------------------------------------------------------
@_code("authorization_check_unavailable")
class BetaAuthorizationCheckUnavailableError(ServiceUnavailableError): ...

@_code("change_outcome_unknown")
class ChangeOutcomeUnknownError(ServiceUnavailableError): ...

@_code("cmek_context_unavailable")
class CMEKContextUnavailableError(ServiceUnavailableError): ...

@_code("cmek_key_unreachable")
class CMEKKeyUnreachableError(ServiceUnavailableError): ...

@_code("registration_pending")
class BetaRegistrationPendingError(ServiceUnavailableError): ...

@_code("storage_not_ready")
class StorageNotReadyError(ServiceUnavailableError): ...

@_code("workspace_created_incomplete")
class WorkspaceCreatedIncompleteError(ServiceUnavailableError): ...


# ----- 529 -----------------------------------------------------------------------------------------
@_code("compaction_unavailable")
class CompactionUnavailableError(OverloadedError):
    """529 ``compaction_unavailable``: compaction cannot run now; transient, and retried as any 529 is."""

