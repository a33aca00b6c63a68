/* balise-ui-types.h
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <shumate/shumate.h>

#include "balise-core-types.h"

G_BEGIN_DECLS

typedef struct _BaliseApplication        BaliseApplication;
typedef struct _BaliseChoiceRow          BaliseChoiceRow;
typedef struct _BalisePhotoStrip         BalisePhotoStrip;
typedef struct _BalisePresetChooser      BalisePresetChooser;
typedef struct _BalisePresetForm         BalisePresetForm;
typedef struct _BalisePreferencesWindow  BalisePreferencesWindow;
typedef struct _BaliseRecordDialog       BaliseRecordDialog;
typedef struct _BaliseWindow             BaliseWindow;

G_END_DECLS
