/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-client"

#include "config.h"

#include "ga-client.h"

/* Not written yet. */
