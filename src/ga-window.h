/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "ga-application.h"

G_BEGIN_DECLS

#define GA_TYPE_WINDOW (ga_window_get_type ())

G_DECLARE_FINAL_TYPE (GaWindow, ga_window, GA, WINDOW, AdwApplicationWindow)

GaWindow *ga_window_new (GaApplication *application);

G_END_DECLS
