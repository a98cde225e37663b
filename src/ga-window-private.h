/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

#include "ga-picture.h"
#include "ga-window.h"

G_BEGIN_DECLS

/*
 * Between ga-window.c and ga-window-picture.c, not for anyone else: what the window does with
 * the picture it shows (save, copy, open in a viewer, drag) and the files it hands to other
 * applications. The GTK 4.10 branches of the save dialog live in ga-window-picture.c only.
 */

#define GA_TYPE_WINDOW_PICTURE (ga_window_picture_get_type ())

G_DECLARE_FINAL_TYPE (GaWindowPicture, ga_window_picture, GA, WINDOW_PICTURE, GObject)

/* ga-window.c */
GaWindowPicture *ga_window_get_picture_actions     (GaWindow         *self);

/* ga-window-picture.c */
void             ga_window_picture_class_init_actions (GtkWidgetClass *widget_class);
GaWindowPicture *ga_window_picture_new             (GtkWindow        *window,
                                                    AdwToastOverlay  *toasts,
                                                    GtkWidget        *picture);
void             ga_window_picture_close           (GaWindowPicture  *self);
GaPicture       *ga_window_picture_get             (GaWindowPicture  *self);
void             ga_window_picture_set             (GaWindowPicture  *self,
                                                    GaPicture        *picture);
void             ga_window_picture_clean_temp_files (void);

G_END_DECLS
