/* routes.c: the route table: every URL, its method, its handler and who may call it.
 * The router (core/http.c) checks login, permission and CSRF before any handler runs. */
#include "core/http.h"
#include "web/pages.h"

const struct route routes[] = {
    {METHOD_GET, "/healthz", page_healthz, ROUTE_PUBLIC, PERM_NONE},
    {METHOD_GET, "/login", page_login, ROUTE_PUBLIC, PERM_NONE},
    {METHOD_POST, "/login", page_login_post, ROUTE_PUBLIC, PERM_NONE},
    {METHOD_POST, "/logout", page_logout, 0, PERM_NONE},
    {METHOD_POST, "/lang", page_lang, ROUTE_PUBLIC, PERM_NONE},
    {METHOD_GET, "/about", page_about, ROUTE_PUBLIC, PERM_NONE},
    {METHOD_GET, "/", page_home, 0, PERM_NONE},

    {METHOD_GET, "/cooperatives", page_coop_list, 0, PERM_COOP_READ},
    {METHOD_GET, "/cooperatives/new", page_coop_new, 0, PERM_COOP_WRITE},
    {METHOD_POST, "/cooperatives", page_coop_create, 0, PERM_COOP_WRITE},
    {METHOD_GET, "/cooperatives/export.csv", page_coop_export, 0, PERM_EXPORT},
    {METHOD_GET, "/cooperatives/{id}", page_coop_show, 0, PERM_COOP_READ},
    {METHOD_GET, "/cooperatives/{id}/edit", page_coop_edit, 0, PERM_COOP_WRITE},
    {METHOD_POST, "/cooperatives/{id}", page_coop_update, 0, PERM_COOP_WRITE},
    {METHOD_GET, "/geo/communes", page_geo_communes, 0, PERM_NONE},

    {METHOD_GET, "/api/v1/cooperatives", api_coop_list, ROUTE_API, PERM_COOP_READ},
    {METHOD_POST, "/api/v1/cooperatives", api_coop_create, ROUTE_API, PERM_COOP_WRITE},
    {METHOD_GET, "/api/v1/cooperatives/{id}", api_coop_get, ROUTE_API, PERM_COOP_READ},
    {METHOD_PATCH, "/api/v1/cooperatives/{id}", api_coop_patch, ROUTE_API, PERM_COOP_WRITE},

    {METHOD_GET, "/people", page_person_list, 0, PERM_PERSON_READ},
    {METHOD_GET, "/people/new", page_person_new, 0, PERM_PERSON_WRITE},
    {METHOD_POST, "/people", page_person_create, 0, PERM_PERSON_WRITE},
    {METHOD_GET, "/people/{id}", page_person_show, 0, PERM_PERSON_READ},
    {METHOD_GET, "/people/{id}/edit", page_person_edit, 0, PERM_PERSON_WRITE},
    {METHOD_POST, "/people/{id}", page_person_update, 0, PERM_PERSON_WRITE},
    {METHOD_POST, "/people/{id}/memberships", page_person_membership_add, 0, PERM_PERSON_WRITE},
    {METHOD_POST, "/people/{id}/memberships/remove", page_person_membership_remove, 0,
     PERM_PERSON_WRITE},
    {METHOD_GET, "/api/v1/people", api_person_list, ROUTE_API, PERM_PERSON_READ},
    {METHOD_POST, "/api/v1/people", api_person_create, ROUTE_API, PERM_PERSON_WRITE},
    {METHOD_GET, "/api/v1/people/{id}", api_person_get, ROUTE_API, PERM_PERSON_READ},
    {METHOD_PATCH, "/api/v1/people/{id}", api_person_patch, ROUTE_API, PERM_PERSON_WRITE},

    {METHOD_GET, "/organisations", page_org_list, 0, PERM_COOP_READ},
    {METHOD_GET, "/organisations/new", page_org_new, 0, PERM_ORG_WRITE},
    {METHOD_POST, "/organisations", page_org_create, 0, PERM_ORG_WRITE},
    {METHOD_GET, "/organisations/{id}", page_org_show, 0, PERM_COOP_READ},
    {METHOD_GET, "/organisations/{id}/edit", page_org_edit, 0, PERM_ORG_WRITE},
    {METHOD_POST, "/organisations/{id}", page_org_update, 0, PERM_ORG_WRITE},
    {METHOD_GET, "/api/v1/organisations", api_org_list, ROUTE_API, PERM_COOP_READ},
    {METHOD_POST, "/api/v1/organisations", api_org_create, ROUTE_API, PERM_ORG_WRITE},
    {METHOD_GET, "/api/v1/organisations/{id}", api_org_get, ROUTE_API, PERM_COOP_READ},
    {METHOD_PATCH, "/api/v1/organisations/{id}", api_org_patch, ROUTE_API, PERM_ORG_WRITE},

    /* programs (src/program/) */
    {METHOD_GET, "/programs", page_program_list, 0, PERM_NONE},
    {METHOD_GET, "/programs/new", page_program_new, 0, PERM_PROGRAM_MANAGE},
    {METHOD_POST, "/programs", page_program_create, 0, PERM_PROGRAM_MANAGE},
    {METHOD_GET, "/programs/{id}", page_program_show, 0, PERM_NONE},
    {METHOD_GET, "/programs/{id}/edit", page_program_edit, 0, PERM_PROGRAM_MANAGE},
    {METHOD_POST, "/programs/{id}", page_program_update, 0, PERM_PROGRAM_MANAGE},
    {METHOD_GET, "/programs/{id}/tranches/new", page_tranche_new, 0, PERM_PROGRAM_MANAGE},
    {METHOD_POST, "/programs/{id}/tranches", page_tranche_create, 0, PERM_PROGRAM_MANAGE},
    {METHOD_GET, "/tranches/{id}/edit", page_tranche_edit, 0, PERM_PROGRAM_MANAGE},
    {METHOD_POST, "/tranches/{id}", page_tranche_update, 0, PERM_PROGRAM_MANAGE},
    {METHOD_GET, "/api/v1/programs", api_program_list, ROUTE_API, PERM_NONE},
    {METHOD_POST, "/api/v1/programs", api_program_create, ROUTE_API, PERM_PROGRAM_MANAGE},
    {METHOD_GET, "/api/v1/programs/{id}", api_program_get, ROUTE_API, PERM_NONE},
    {METHOD_PATCH, "/api/v1/programs/{id}", api_program_patch, ROUTE_API, PERM_PROGRAM_MANAGE},
    {METHOD_POST, "/api/v1/programs/{id}/tranches", api_tranche_create, ROUTE_API,
     PERM_PROGRAM_MANAGE},
    {METHOD_GET, "/api/v1/tranches/{id}", api_tranche_get, ROUTE_API, PERM_NONE},
    {METHOD_PATCH, "/api/v1/tranches/{id}", api_tranche_patch, ROUTE_API, PERM_PROGRAM_MANAGE},

    /* calls, eligibility and screening (src/selection/call_*.c) */

    /* draws (src/selection/draw_*.c) */
    {METHOD_GET, "/draws", page_draw_list, 0, PERM_NONE},
    {METHOD_GET, "/draws/new", page_draw_new, 0, PERM_PROGRAM_MANAGE},
    {METHOD_POST, "/draws", page_draw_create, 0, PERM_PROGRAM_MANAGE},
    {METHOD_GET, "/draws/{id}", page_draw_show, 0, PERM_NONE},
    {METHOD_POST, "/draws/{id}/publish", page_draw_publish, 0, PERM_PROGRAM_MANAGE},
    {METHOD_POST, "/draws/{id}/result", page_draw_result, 0, PERM_PROGRAM_MANAGE},
    {METHOD_GET, "/public/draws/{id}", page_draw_public, ROUTE_PUBLIC, PERM_NONE},
    {METHOD_GET, "/public/draws/{id}/pool.txt", page_draw_pool_txt, ROUTE_PUBLIC, PERM_NONE},
    {METHOD_GET, "/api/v1/draws", api_draw_list, ROUTE_API, PERM_NONE},
    {METHOD_POST, "/api/v1/draws", api_draw_create, ROUTE_API, PERM_PROGRAM_MANAGE},
    {METHOD_GET, "/api/v1/draws/{id}", api_draw_get, ROUTE_API, PERM_NONE},
    {METHOD_POST, "/api/v1/draws/{id}/publish", api_draw_publish, ROUTE_API, PERM_PROGRAM_MANAGE},
    {METHOD_POST, "/api/v1/draws/{id}/result", api_draw_result, ROUTE_API, PERM_PROGRAM_MANAGE},

    {0, NULL, NULL, 0, PERM_NONE},
};
