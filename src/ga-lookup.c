/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-lookup"

#include "config.h"

#include "ga-lookup.h"

/* Not written yet. */
