/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-error"

#include "config.h"

#include "ga-error.h"

G_DEFINE_QUARK (ga-error-quark, ga_error)
