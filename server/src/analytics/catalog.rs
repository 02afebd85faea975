//! What the demo shop sells, and where: the demo generator's regions and
//! categories. They are data like any other once loaded (the warehouse
//! stores their names); nothing outside the generator knows them.

/// A demo sales region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// North America.
    NorthAmerica,
    /// Europe.
    Europe,
    /// Asia-Pacific.
    AsiaPacific,
    /// Latin America.
    LatinAmerica,
    /// Middle East and Africa.
    MiddleEastAfrica,
}

impl Region {
    /// Every demo region.
    pub const ALL: [Region; 5] = [
        Region::NorthAmerica,
        Region::Europe,
        Region::AsiaPacific,
        Region::LatinAmerica,
        Region::MiddleEastAfrica,
    ];

    /// The value stored in the warehouse.
    pub fn name(self) -> &'static str {
        match self {
            Region::NorthAmerica => "North America",
            Region::Europe => "Europe",
            Region::AsiaPacific => "Asia-Pacific",
            Region::LatinAmerica => "Latin America",
            Region::MiddleEastAfrica => "Middle East & Africa",
        }
    }
}

/// A demo product category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Electronics.
    Electronics,
    /// Home and kitchen.
    Home,
    /// Apparel.
    Apparel,
    /// Sports and outdoors.
    Sports,
    /// Beauty.
    Beauty,
    /// Toys.
    Toys,
}

impl Category {
    /// Every demo category.
    pub const ALL: [Category; 6] = [
        Category::Electronics,
        Category::Home,
        Category::Apparel,
        Category::Sports,
        Category::Beauty,
        Category::Toys,
    ];

    /// The value stored in the warehouse.
    pub fn name(self) -> &'static str {
        match self {
            Category::Electronics => "Electronics",
            Category::Home => "Home & Kitchen",
            Category::Apparel => "Apparel",
            Category::Sports => "Sports & Outdoors",
            Category::Beauty => "Beauty",
            Category::Toys => "Toys & Games",
        }
    }
}

/// A product: name, list price in cents, cost as a share of the price.
pub type Product = (&'static str, i64, f64);

/// Products per category.
pub const PRODUCTS: [(Category, [Product; 4]); 6] = [
    (
        Category::Electronics,
        [
            ("Aurora Headphones", 12_900, 0.62),
            ("Nimbus Tablet", 39_900, 0.71),
            ("Pulse Smartwatch", 24_900, 0.58),
            ("Echo Speaker", 7_900, 0.55),
        ],
    ),
    (
        Category::Home,
        [
            ("Linen Duvet Set", 8_900, 0.48),
            ("Cast Iron Skillet", 4_500, 0.42),
            ("Ceramic Vase", 3_200, 0.38),
            ("Espresso Maker", 15_900, 0.60),
        ],
    ),
    (
        Category::Apparel,
        [
            ("Merino Sweater", 9_800, 0.40),
            ("Rain Shell Jacket", 14_900, 0.45),
            ("Canvas Sneakers", 6_500, 0.43),
            ("Everyday Tee", 2_400, 0.35),
        ],
    ),
    (
        Category::Sports,
        [
            ("Trail Running Shoes", 13_500, 0.52),
            ("Yoga Mat", 3_900, 0.40),
            ("Carbon Road Helmet", 11_900, 0.55),
            ("Camping Stove", 7_400, 0.50),
        ],
    ),
    (
        Category::Beauty,
        [
            ("Vitamin C Serum", 3_400, 0.30),
            ("Hydrating Cream", 2_800, 0.28),
            ("Argan Hair Oil", 2_200, 0.32),
            ("Mineral Sunscreen", 1_900, 0.34),
        ],
    ),
    (
        Category::Toys,
        [
            ("Wooden Train Set", 5_900, 0.45),
            ("Building Bricks Kit", 8_900, 0.50),
            ("Plush Bear", 2_500, 0.38),
            ("Puzzle 1000", 1_800, 0.36),
        ],
    ),
];
