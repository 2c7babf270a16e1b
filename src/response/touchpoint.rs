//! Where the experience happened: touchpoints, channels and journey stages.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Lower-case, trimmed, with spaces, hyphens and slashes as underscores: `"Contact Center"`,
/// `"contact-center"` and `"contact_center"` are one name.
fn normalise(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' | '/' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn non_empty(field: &str, text: &str) -> Result<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::InvalidField {
            field: field.to_string(),
            value: text.to_string(),
            reason: "must not be empty".to_string(),
        });
    }
    Ok(trimmed.to_string())
}

macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $field:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $canonical:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// Any other value, kept as written (trimmed).
            Custom(String),
        }

        impl $name {
            /// The canonical name (`snake_case`), or the custom name as written.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $canonical, )+
                    $name::Custom(name) => name,
                }
            }

            /// Parses a name: the canonical names (and aliases, if any), case-insensitive, with spaces,
            /// hyphens and slashes read as underscores; anything else is [`Self::Custom`].
            ///
            /// # Errors
            /// [`Error::InvalidField`] when the text is empty or blank.
            pub fn parse(text: &str) -> Result<Self> {
                let trimmed = non_empty($field, text)?;
                Ok(match normalise(&trimmed).as_str() {
                    $( $canonical $(| $alias)* => $name::$variant, )+
                    _ => $name::Custom(trimmed),
                })
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(text: &str) -> Result<Self> {
                Self::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

named_enum! {
    /// The channel a contact happened on (omnichannel CX: the same touchpoint can occur on several).
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::Channel;
    /// assert_eq!(Channel::parse("Contact Center")?, Channel::ContactCenter);
    /// assert_eq!(Channel::parse("whatsapp")?, Channel::Custom("whatsapp".into()));
    /// // Only the names themselves (any case, spaces or hyphens for underscores) are known: a
    /// // value is never recoded into another channel.
    /// assert_eq!(Channel::parse("online")?, Channel::Custom("online".into()));
    /// assert_eq!(Channel::Social.to_string(), "social");
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    Channel, "channel" {
        /// Website.
        Web => "web",
        /// Mobile app.
        App => "app",
        /// Physical store or branch.
        Store => "store",
        /// Contact center (phone).
        ContactCenter => "contact_center",
        /// E-mail.
        Email => "email",
        /// Live chat or messaging.
        Chat => "chat",
        /// Social networks.
        Social => "social",
        /// Delivery (carrier, courier, pick-up point).
        Delivery => "delivery",
    }
}

named_enum! {
    /// The stage of the customer journey a touchpoint belongs to.
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::JourneyStage;
    /// assert_eq!(JourneyStage::parse("post-sale")?, JourneyStage::PostSale);
    /// // Other names are kept as written, never recoded:
    /// assert_eq!(JourneyStage::parse("renewal")?, JourneyStage::Custom("renewal".into()));
    /// # Ok::<(), cxmetrics::Error>(())
    /// ```
    JourneyStage, "journey_stage" {
        /// Discovery and consideration.
        Discovery => "discovery",
        /// Purchase.
        Purchase => "purchase",
        /// Delivery.
        Delivery => "delivery",
        /// Usage of the product or service.
        Usage => "usage",
        /// Support requests.
        Support => "support",
        /// Complaints.
        Complaint => "complaint",
        /// Post-sale follow-up and renewal.
        PostSale => "post_sale",
    }
}

/// Whether the customer sought the contact (intentional: a purchase, a support request) or came
/// across it (fortuitous: an advert, a social-network post, a delivery notice).
///
/// Parsed from `true`/`false`, `yes`/`no`, `1`/`0` (is it intentional?) or the words
/// `intentional`/`fortuitous`.
///
/// # Examples
/// ```
/// use cxmetrics::Origin;
/// assert_eq!(Origin::parse("true")?, Origin::Intentional);
/// assert_eq!(Origin::parse("Fortuitous")?, Origin::Fortuitous);
/// assert!(Origin::parse("maybe").is_err());
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Origin {
    /// The customer sought the contact.
    Intentional,
    /// The customer came across the contact.
    Fortuitous,
}

impl Origin {
    /// `"intentional"` or `"fortuitous"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Origin::Intentional => "intentional",
            Origin::Fortuitous => "fortuitous",
        }
    }

    /// Parses `true`/`false`, `yes`/`no`, `1`/`0`, `intentional`/`fortuitous` (case-insensitive).
    ///
    /// # Errors
    /// [`Error::InvalidField`] for any other text.
    pub fn parse(text: &str) -> Result<Self> {
        match normalise(text).as_str() {
            "true" | "yes" | "y" | "1" | "t" | "intentional" => Ok(Origin::Intentional),
            "false" | "no" | "n" | "0" | "f" | "fortuitous" => Ok(Origin::Fortuitous),
            _ => Err(Error::InvalidField {
                field: "intentional".to_string(),
                value: text.to_string(),
                reason: "must be true/false (or intentional/fortuitous)".to_string(),
            }),
        }
    }

    /// Whether the contact was intentional.
    pub fn is_intentional(&self) -> bool {
        *self == Origin::Intentional
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A touchpoint: a moment where the customer meets the company (a web visit, a delivery, a
/// complaint...), with the channel it usually happens on, its journey stage and whether it is
/// intentional or fortuitous.
///
/// # Examples
/// ```
/// use cxmetrics::{Channel, JourneyStage, Origin, Touchpoint};
/// let delivery = Touchpoint::new("delivery")?
///     .with_name("Home delivery")
///     .with_channel(Channel::Delivery)
///     .with_stage(JourneyStage::Delivery)
///     .with_origin(Origin::Intentional);
/// assert_eq!(delivery.id(), "delivery");
/// assert_eq!(delivery.name(), "Home delivery");
/// assert!(Touchpoint::new("  ").is_err());
/// # Ok::<(), cxmetrics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawTouchpoint")]
pub struct Touchpoint {
    id: String,
    name: String,
    channel: Option<Channel>,
    stage: Option<JourneyStage>,
    origin: Option<Origin>,
}

#[derive(Deserialize)]
struct RawTouchpoint {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    channel: Option<Channel>,
    #[serde(default)]
    stage: Option<JourneyStage>,
    #[serde(default)]
    origin: Option<Origin>,
}

impl TryFrom<RawTouchpoint> for Touchpoint {
    type Error = Error;
    fn try_from(raw: RawTouchpoint) -> Result<Self> {
        let mut touchpoint = Touchpoint::new(&raw.id)?;
        if let Some(name) = raw.name {
            touchpoint.name = non_empty("touchpoint_name", &name)?;
        }
        touchpoint.channel = raw.channel;
        touchpoint.stage = raw.stage;
        touchpoint.origin = raw.origin;
        Ok(touchpoint)
    }
}

impl Touchpoint {
    /// A touchpoint with this identifier (trimmed), used as its name too.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when the identifier is empty or blank.
    pub fn new(id: &str) -> Result<Self> {
        let id = non_empty("touchpoint", id)?;
        Ok(Touchpoint {
            name: id.clone(),
            id,
            channel: None,
            stage: None,
            origin: None,
        })
    }

    /// Sets the display name (kept as given; a blank name keeps the identifier).
    pub fn with_name(mut self, name: &str) -> Self {
        if !name.trim().is_empty() {
            self.name = name.trim().to_string();
        }
        self
    }

    /// Sets the channel the touchpoint happens on.
    pub fn with_channel(mut self, channel: Channel) -> Self {
        self.channel = Some(channel);
        self
    }

    /// Sets the journey stage.
    pub fn with_stage(mut self, stage: JourneyStage) -> Self {
        self.stage = Some(stage);
        self
    }

    /// Sets whether the contact is intentional or fortuitous.
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = Some(origin);
        self
    }

    /// The identifier.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The display name (the identifier unless set).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The channel, if known.
    pub fn channel(&self) -> Option<&Channel> {
        self.channel.as_ref()
    }

    /// The journey stage, if known.
    pub fn stage(&self) -> Option<&JourneyStage> {
        self.stage.as_ref()
    }

    /// Intentional or fortuitous, if known.
    pub fn origin(&self) -> Option<Origin> {
        self.origin
    }
}
