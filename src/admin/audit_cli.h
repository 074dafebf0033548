/* audit_cli.h: the audit command of the command line. */
#ifndef MURAFIQ_AUDIT_CLI_H
#define MURAFIQ_AUDIT_CLI_H

/* `murafiq audit verify --db PATH`: 0 intact, 1 broken, 2 usage. */
int cmd_audit(int argc, char **argv);

#endif
