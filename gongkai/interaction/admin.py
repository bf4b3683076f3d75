"""No Django admin pages: every record of 互动交流 — 留言, interpretations and hot-topic
responses (drafts included), consultations and their comments, surveys and their answers,
interviews and their questions — is an agency's business data, which the system
administrator (the only user of ``/admin/``) may not see (三员分立: ``/admin/interaction/…``
answers 404). The agencies' staff handle them in the console through the audited services."""
