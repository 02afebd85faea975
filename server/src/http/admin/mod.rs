//! The admin API: users, service accounts, the audit log and the cache.

mod audit;
mod cache;
mod services;
pub mod users;

use super::ApiRoutes;

/// Adds the admin routes.
pub fn routes(routes: ApiRoutes) -> ApiRoutes {
    let routes = users::routes(routes);
    let routes = services::routes(routes);
    let routes = audit::routes(routes);
    cache::routes(routes)
}
