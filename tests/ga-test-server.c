/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-test-server"

#include "config.h"

#include "ga-test-server.h"

/* Not written yet. */
