/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-http"

#include "config.h"

#include "ga-http.h"

/* Not written yet. */
