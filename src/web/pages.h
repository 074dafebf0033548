/* pages.h: every handler named in the route table. */
#ifndef MURAFIQ_PAGES_H
#define MURAFIQ_PAGES_H

#include "core/http.h"

/* web/pages_auth.c */
void page_login(struct request *req);
void page_login_post(struct request *req);
void page_logout(struct request *req);
void page_lang(struct request *req);
void page_home(struct request *req);
void page_healthz(struct request *req);
void page_about(struct request *req);

/* registry/coop_pages.c */
void page_coop_list(struct request *req);
void page_coop_show(struct request *req);
void page_coop_new(struct request *req);
void page_coop_create(struct request *req);
void page_coop_edit(struct request *req);
void page_coop_update(struct request *req);
void page_coop_export(struct request *req);
void page_geo_communes(struct request *req);

/* registry/coop_api.c */
void api_coop_list(struct request *req);
void api_coop_get(struct request *req);
void api_coop_create(struct request *req);
void api_coop_patch(struct request *req);

/* registry/person_pages.c */
void page_person_list(struct request *req);
void page_person_show(struct request *req);
void page_person_new(struct request *req);
void page_person_create(struct request *req);
void page_person_edit(struct request *req);
void page_person_update(struct request *req);
void page_person_membership_add(struct request *req);
void page_person_membership_remove(struct request *req);

/* registry/person_api.c */
void api_person_list(struct request *req);
void api_person_get(struct request *req);
void api_person_create(struct request *req);
void api_person_patch(struct request *req);

/* registry/org_pages.c */
void page_org_list(struct request *req);
void page_org_show(struct request *req);
void page_org_new(struct request *req);
void page_org_create(struct request *req);
void page_org_edit(struct request *req);
void page_org_update(struct request *req);

/* registry/org_api.c */
void api_org_list(struct request *req);
void api_org_get(struct request *req);
void api_org_create(struct request *req);
void api_org_patch(struct request *req);

/* program/program_pages.c, program/program_api.c */
void page_program_list(struct request *req);
void page_program_new(struct request *req);
void page_program_create(struct request *req);
void page_program_show(struct request *req);
void page_program_edit(struct request *req);
void page_program_update(struct request *req);
void page_tranche_new(struct request *req);
void page_tranche_create(struct request *req);
void page_tranche_edit(struct request *req);
void page_tranche_update(struct request *req);
void api_program_list(struct request *req);
void api_program_create(struct request *req);
void api_program_get(struct request *req);
void api_program_patch(struct request *req);
void api_tranche_create(struct request *req);
void api_tranche_get(struct request *req);
void api_tranche_patch(struct request *req);

/* selection/call_pages.c, selection/call_api.c */
void page_call_list(struct request *req);
void page_call_new(struct request *req);
void page_call_create(struct request *req);
void page_call_show(struct request *req);
void page_call_edit(struct request *req);
void page_call_update(struct request *req);
void page_call_rules(struct request *req);
void page_call_rules_post(struct request *req);
void page_call_rules_preview(struct request *req);
void page_call_screening(struct request *req);
void page_call_screening_csv(struct request *req);
void page_call_eligibility(struct request *req);
void api_call_list(struct request *req);
void api_call_create(struct request *req);
void api_call_get(struct request *req);
void api_call_patch(struct request *req);
void api_call_rules_get(struct request *req);
void api_call_rules_post(struct request *req);
void api_call_rules_preview(struct request *req);
void api_call_screening(struct request *req);
void api_call_eligibility(struct request *req);

/* selection/selection_pages.c, selection/selection_api.c */
void page_call_selection(struct request *req);
void page_call_selection_run(struct request *req);
void page_call_selection_replay(struct request *req);
void page_call_dashboard(struct request *req);
void page_application_letter(struct request *req);
void api_call_selection(struct request *req);
void api_call_selection_run(struct request *req);
void api_selection_run_get(struct request *req);

/* selection/application_pages.c, selection/application_api.c */
void page_application_list(struct request *req);
void page_application_new(struct request *req);
void page_application_create(struct request *req);
void page_application_show(struct request *req);
void page_application_edit(struct request *req);
void page_application_update(struct request *req);
void page_application_submit(struct request *req);
void page_application_withdraw(struct request *req);
void page_application_reevaluate(struct request *req);
void page_application_import(struct request *req);
void page_application_import_post(struct request *req);
void api_application_list(struct request *req);
void api_application_create(struct request *req);
void api_application_get(struct request *req);
void api_application_patch(struct request *req);
void api_application_submit(struct request *req);
void api_application_withdraw(struct request *req);
void api_application_reevaluate(struct request *req);
void api_application_events(struct request *req);
void api_application_import(struct request *req);

/* selection/evaluation_pages.c, selection/evaluation_api.c */
void page_evaluation_list(struct request *req);
void page_evaluation_show(struct request *req);
void page_evaluation_save(struct request *req);
void page_evaluation_declare(struct request *req);
void page_evaluation_conflict(struct request *req);
void page_evaluation_manage(struct request *req);
void page_evaluation_assign(struct request *req);
void page_evaluation_remove(struct request *req);
void page_evaluation_reopen(struct request *req);
void page_evaluation_overview(struct request *req);
void page_evaluation_assign_call(struct request *req);
void api_evaluation_list(struct request *req);
void api_evaluation_users(struct request *req);
void api_evaluation_get(struct request *req);
void api_evaluation_patch(struct request *req);
void api_evaluation_declare(struct request *req);
void api_evaluation_conflict(struct request *req);
void api_evaluation_submit(struct request *req);
void api_evaluation_manage(struct request *req);
void api_evaluation_assign(struct request *req);
void api_evaluation_remove(struct request *req);
void api_evaluation_reopen(struct request *req);
void api_evaluation_overview(struct request *req);
void api_evaluation_assign_call(struct request *req);

/* selection/draw_pages.c, selection/draw_api.c */
void page_draw_list(struct request *req);
void page_draw_new(struct request *req);
void page_draw_create(struct request *req);
void page_draw_show(struct request *req);
void page_draw_publish(struct request *req);
void page_draw_result(struct request *req);
void page_draw_public(struct request *req);
void page_draw_pool_txt(struct request *req);
void api_draw_list(struct request *req);
void api_draw_create(struct request *req);
void api_draw_get(struct request *req);
void api_draw_publish(struct request *req);
void api_draw_result(struct request *req);

/* admin/account_pages.c */
void page_account_list(struct request *req);
void page_account_new(struct request *req);
void page_account_create(struct request *req);
void page_account_show(struct request *req);
void page_account_update(struct request *req);
void page_account_disable(struct request *req);
void page_account_enable(struct request *req);
void page_account_password(struct request *req);
void page_token_create(struct request *req);
void page_token_revoke(struct request *req);
void page_own_password(struct request *req);
void page_own_password_post(struct request *req);

/* admin/account_api.c */
void api_account_list(struct request *req);
void api_account_create(struct request *req);
void api_account_get(struct request *req);
void api_account_patch(struct request *req);
void api_account_disable(struct request *req);
void api_account_enable(struct request *req);
void api_account_password(struct request *req);

/* admin/audit_pages.c, admin/audit_api.c: the audit trail */
void page_audit_list(struct request *req);
void page_audit_verify(struct request *req);
void api_audit_list(struct request *req);
void api_audit_verify(struct request *req);

/* admin/mfa_pages.c: the second factor (one's own setup, the login's second step, the policy) */
void page_security(struct request *req);
void page_security_setup(struct request *req);
void page_security_confirm(struct request *req);
void page_security_recovery(struct request *req);
void page_security_disable(struct request *req);
void page_login_totp(struct request *req);
void page_login_totp_post(struct request *req);
void page_admin_security(struct request *req);
void page_admin_security_post(struct request *req);
void page_account_totp_reset(struct request *req);
void api_security_policy_get(struct request *req);
void api_security_policy_patch(struct request *req);
void api_account_totp_reset(struct request *req);
/* After a right password: when user_id has the second factor on, starts the pending login (its
 * cookie, a redirect to /login/totp) and returns 1; returns 0 when the factor is off (the caller
 * starts the session), -1 on error (nothing answered). */
int mfa_login_second_step(struct request *req, long long user_id, const char *next);

/* privacy/privacy_pages.c, privacy/privacy_api.c, registry/person_csv.c: law 09-08 */
void page_processing_list(struct request *req);
void page_processing_print(struct request *req);
void page_processing_csv(struct request *req);
void page_processing_edit(struct request *req);
void page_processing_update(struct request *req);
void page_consent_create(struct request *req);
void page_consent_withdraw(struct request *req);
void page_objection_set(struct request *req);
void page_objection_lift(struct request *req);
void page_person_data(struct request *req);
void page_person_data_json(struct request *req);
void page_person_export(struct request *req);
void api_processing_list(struct request *req);
void api_processing_get(struct request *req);
void api_processing_patch(struct request *req);
void api_consent_list(struct request *req);
void api_consent_create(struct request *req);
void api_consent_withdraw(struct request *req);
void api_objection_set(struct request *req);
void api_objection_lift(struct request *req);

#endif
