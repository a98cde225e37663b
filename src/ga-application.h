/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GA_TYPE_APPLICATION (ga_application_get_type ())

G_DECLARE_FINAL_TYPE (GaApplication, ga_application, GA, APPLICATION, AdwApplication)

GaApplication *ga_application_new (void);

G_END_DECLS
