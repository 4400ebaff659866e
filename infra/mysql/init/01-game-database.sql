-- Runs once, when the compose MySQL volume is first created. game-api creates and migrates its
-- schema at start-up; this only fixes the database's character set so usernames compare the
-- same way in MySQL 8 and in the local MariaDB lab.
CREATE DATABASE IF NOT EXISTS game CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
