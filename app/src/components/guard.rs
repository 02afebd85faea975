//! Renders a page only for users whose role allows it; otherwise the 403
//! page (with status 403 when rendered on the server).

use leptos::prelude::*;

use crate::{access::page_minimum, pages::forbidden::ForbiddenPage, session::use_current_user};

/// Shows `children` if the current user may use the page at `path`.
#[component]
pub fn Guarded(
    /// The page's path, looked up in the access table.
    path: &'static str,
    /// The page.
    children: ChildrenFn,
) -> impl IntoView {
    let user = use_current_user();
    let minimum = page_minimum(path);
    if user.may(minimum) {
        children().into_any()
    } else {
        view! { <ForbiddenPage minimum/> }.into_any()
    }
}
