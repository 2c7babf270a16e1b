//! Enums named by strings: one list of names per enum, from which its `as_str`, `ALL`, `NAMES`,
//! `FromStr`, `Display` and serde form are all generated, so that the name a user types, the name
//! printed and the name serialised can never disagree.

/// `named_enum! { /// doc ... pub enum Name { /// doc \n Variant = "name" | "alias", ... } unknown = |name| error; }`
///
/// Defines the enum (`Debug, Clone, Copy, PartialEq, Eq, Hash`, `#[non_exhaustive]`, plus the
/// attributes given) and:
/// - `ALL`, every variant in declaration order; `NAMES`, their canonical names (the first string of
///   each variant), in the same order;
/// - `as_str`, the canonical name; `Display` writes it;
/// - `FromStr`, accepting the canonical names and the aliases; any other text gives the error the
///   `unknown` closure builds from the text (an owned `String`);
/// - `Serialize` as the canonical name and `Deserialize` through `FromStr` (the error's message
///   becomes serde's).
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $canonical:literal $(| $alias:literal)* ),+ $(,)?
        }
        unknown = |$text:ident| $unknown:expr;
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($canonical),+].len()] = [$($name::$variant),+];
            /// The names accepted by [`str::parse`] (aliases aside), in the order of `ALL`; also the
            /// serde names.
            pub const NAMES: &'static [&'static str] = &[$($canonical),+];

            /// The name: what [`str::parse`] accepts, `Display` writes and serde uses.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $( $name::$variant => $canonical, )+
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::Error;
            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                match text {
                    $( $canonical $(| $alias)* => Ok($name::$variant), )+
                    _ => {
                        let $text: String = text.to_owned();
                        Err($unknown)
                    }
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(
                    deserializer,
                )?;
                text.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    use crate::error::Error;

    named_enum! {
        /// A test enum.
        #[derive(Default)]
        pub enum Colour {
            /// Red.
            #[default]
            Red = "red",
            /// Light blue.
            LightBlue = "light_blue" | "light-blue",
        }
        unknown = |name| Error::UnknownOption { option: "colour", name, valid: Colour::NAMES };
    }

    #[test]
    fn one_list_of_names_gives_every_form() {
        assert_eq!(Colour::NAMES, ["red", "light_blue"]);
        assert_eq!(Colour::ALL, [Colour::Red, Colour::LightBlue]);
        assert_eq!(Colour::default(), Colour::Red);
        for c in Colour::ALL {
            assert_eq!(c.as_str().parse::<Colour>().unwrap(), c);
            assert_eq!(c.to_string(), c.as_str());
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<Colour>(&json).unwrap(), c);
        }
        assert_eq!("light-blue".parse::<Colour>().unwrap(), Colour::LightBlue);
        assert!(matches!(
            "green".parse::<Colour>(),
            Err(Error::UnknownOption { name, .. }) if name == "green"
        ));
        let bad = serde_json::from_str::<Colour>("\"green\"").unwrap_err();
        assert!(bad.to_string().contains("green"), "{bad}");
    }
}
