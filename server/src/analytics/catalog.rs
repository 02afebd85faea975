//! What the demo shop sells.

use api_types::Category;

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
