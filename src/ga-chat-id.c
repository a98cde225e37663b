/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-chat-id"

#include "config.h"

#include "ga-chat-id.h"

/* Not written yet. */
