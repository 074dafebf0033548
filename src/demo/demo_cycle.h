/* demo_cycle.h: the demo's call under way: applications entered, submitted and scored. */
#ifndef MURAFIQ_DEMO_CYCLE_H
#define MURAFIQ_DEMO_CYCLE_H

#include <stdio.h>

struct db;

/*
 * Enters applications to the demo call (MRF-T4-2026) for each region's first eligible
 * cooperatives, up to one and a half times its seats, and one ineligible for every ten; officers
 * enter those of their regions, the admin the others. Each is submitted (its eligibility
 * evaluated and recorded) and, when eligible, scored by the demo evaluators evaluator1 and
 * evaluator2 (one in ten waits for its second evaluation). Through the same stores as the pages,
 * one transaction each, after the demo accounts exist; the same seed gives the same scores.
 * progress (may be NULL) gets one line. Returns 0 or -1.
 */
int demo_cycle(struct db *db, unsigned long seed, FILE *progress);

#endif
