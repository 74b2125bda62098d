use serde::{Deserialize, Serialize};

/// Platform roles from the subscriber document plus the creator-side roles of the
/// audience document. Stored by their snake_case names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Subscriber,
    Partner,
    Admin,
    Superadmin,
    ContentCreator,
    Marketing,
    BrandManager,
    Manager,
    TenantAdmin,
    PlatformAdmin,
    SystemAdmin,
    SuperAdmin,
}

impl Role {
    pub const ALL: [Role; 12] = [
        Role::Subscriber,
        Role::Partner,
        Role::Admin,
        Role::Superadmin,
        Role::ContentCreator,
        Role::Marketing,
        Role::BrandManager,
        Role::Manager,
        Role::TenantAdmin,
        Role::PlatformAdmin,
        Role::SystemAdmin,
        Role::SuperAdmin,
    ];

    /// Roles held on a creator's team, per creator.
    pub const CREATOR_SIDE: [Role; 5] = [
        Role::ContentCreator,
        Role::Marketing,
        Role::BrandManager,
        Role::Manager,
        Role::TenantAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Subscriber => "subscriber",
            Role::Partner => "partner",
            Role::Admin => "admin",
            Role::Superadmin => "superadmin",
            Role::ContentCreator => "content_creator",
            Role::Marketing => "marketing",
            Role::BrandManager => "brand_manager",
            Role::Manager => "manager",
            Role::TenantAdmin => "tenant_admin",
            Role::PlatformAdmin => "platform_admin",
            Role::SystemAdmin => "system_admin",
            Role::SuperAdmin => "super_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Roles that act on every creator and on the admin console.
    pub fn is_platform_staff(self) -> bool {
        matches!(
            self,
            Role::Admin
                | Role::Superadmin
                | Role::PlatformAdmin
                | Role::SystemAdmin
                | Role::SuperAdmin
        )
    }

    /// Only these may grant or remove the superadmin role.
    pub fn is_superadmin(self) -> bool {
        matches!(self, Role::Superadmin | Role::SuperAdmin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
        assert_eq!(Role::parse("root"), None);
    }
}
