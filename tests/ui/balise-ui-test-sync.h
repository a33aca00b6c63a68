/* balise-ui-test-sync.h: syncing from the window as a person does, through
 * the composer
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-upload-dialog.h"
#include "balise-window.h"

G_BEGIN_DECLS

/* The composer on screen, or NULL. */
BaliseUploadDialog *balise_ui_test_find_upload_dialog (void);
/* Presses Sync and waits for the composer; NULL when there was nothing to
 * send (the sync then runs, or ran, without it). */
BaliseUploadDialog *balise_ui_test_open_composer      (BaliseWindow       *window);
/* Presses the composer's Upload button, which must be sensitive, and waits
 * for the composer to close: the sync has started. */
void                balise_ui_test_press_upload       (BaliseUploadDialog *dialog);
/* Both: Sync, @comment typed in the composer (NULL keeps the one offered),
 * Upload. Returns once the sync has started, or ran when there was
 * nothing to send. */
void                balise_ui_test_start_sync         (BaliseWindow       *window,
                                                       const char         *comment);

G_END_DECLS
