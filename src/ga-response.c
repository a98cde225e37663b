/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-response"

#include "config.h"

#include "ga-response.h"

/* Not written yet. */
