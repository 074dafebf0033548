/* demo_programs.h: the demonstration program (Mourafaka) and the cooperatives it accompanied. */
#ifndef MURAFIQ_DEMO_PROGRAMS_H
#define MURAFIQ_DEMO_PROGRAMS_H

struct db;

/*
 * Adds, inside the caller's transaction, the Mourafaka program (operator ODCO; UM6P, Fondation
 * OCP and the Secretary of State for handicraft and social & solidarity economy as partners,
 * created when absent), its pillars and components, tranches 3 (2023-2024) and 4 (2025-2026)
 * with one phase a year of 500 cooperatives and targets per region (in proportion to the
 * register, summing to each tranche's total), and about 3% of the cooperatives as accompanied
 * in tranche 3 (at most its target), and the call of tranche 4 for 2026 (open from October 2026
 * to January 2027, the Mourafaka rules, the default grid, a year's seats per region). The same seed
 * gives the same rows. Returns 0, or -1 (the caller rolls back).
 */
int demo_programs(struct db *db, unsigned long seed);

#endif
