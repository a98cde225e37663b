/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-image"

#include "config.h"

#include "ga-image.h"

/* Not written yet. */
