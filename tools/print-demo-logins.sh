#!/bin/sh
# print-demo-logins.sh: what `make run` prints before serving.
listen=${1:-127.0.0.1:8080}
cat <<MSG

  murafiq is starting on http://$listen/

  Demo accounts (password: murafiq-demo-2026):
    admin       administrator, all regions
    manager     program manager, all regions
    officer03   regional officer, Fès-Meknès (03) only
    officer06   regional officer, Casablanca-Settat (06) only
    coach       coach (read only)
    viewer      viewer (read only, no personal data)
    evaluator1  evaluator of the demo call's applications (coach)
    evaluator2  evaluator of the demo call's applications (coach)

  The second factor (codes from a phone app) is optional for every demo role;
  an administrator can require it per role at /admin/security.

  Stop with Ctrl-C. The data is in ./murafiq.db (delete it to start again).

MSG
