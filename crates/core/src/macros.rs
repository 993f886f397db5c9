//! Small declarative helpers shared by the domain modules.

/// Declares a fieldless enum that is stored and transmitted as a lowercase string key.
///
/// Generates `ALL`, `as_str`, `FromStr` (error: [`crate::validate::Problem::UnknownChoice`]),
/// `Display` and serde as the key.
macro_rules! string_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $key:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable key used in the database, URLs and the API.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key,)* }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::validate::Problem;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim() {
                    $($key => Ok($name::$variant),)*
                    _ => Err($crate::validate::Problem::UnknownChoice),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let key = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                key.parse().map_err(|_| serde::de::Error::unknown_variant(&key, &[$($key,)*]))
            }
        }
    };
}

pub(crate) use string_enum;
